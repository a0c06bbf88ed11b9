import { randomUUID } from 'node:crypto';
import type { AwsRequest, AwsResponse, ServiceHandler } from '../aws-server.js';

/** awsQuery as STS speaks it: `Action=GetCallerIdentity&Version=2011-06-15`, XML replies. */
export const STS_VERSION = '2011-06-15';
const XMLNS = `https://sts.amazonaws.com/doc/${STS_VERSION}/`;
const XML_HEADERS = { 'content-type': 'text/xml' };

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

/** Who the caller is, by the access key id the request was signed with. */
export type IdentityLookup = (accessKeyId: string | undefined) => CallerIdentity;

/**
 * STS on the local cloud's AWS port: GetCallerIdentity only, which is all stepcd calls (the CLI's
 * actor). Any other STS action gets AWS's `InvalidAction`; a request for another awsQuery service
 * (ELBv2) is not ours.
 */
export function stsServiceHandler(lookup: IdentityLookup, calls: string[]): ServiceHandler {
  return async function handleSts(req: AwsRequest): Promise<AwsResponse | undefined> {
    if (req.target || !req.contentType.includes('x-www-form-urlencoded')) return undefined;
    const form = new URLSearchParams(req.body);
    const action = form.get('Action');
    if (!action || form.get('Version') !== STS_VERSION) return undefined;
    calls.push(action);
    const requestId = randomUUID();
    if (action !== 'GetCallerIdentity') return errorReply('InvalidAction', `${action} is not supported by the local STS`, requestId);
    const who = lookup(signingKeyId(req.headers.authorization));
    const body =
      `<GetCallerIdentityResponse xmlns="${XMLNS}"><GetCallerIdentityResult>` +
      `<Arn>${escapeXml(who.arn)}</Arn><UserId>${escapeXml(who.userId)}</UserId><Account>${escapeXml(who.account)}</Account>` +
      `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
    return { status: 200, headers: XML_HEADERS, body };
  };
}

/** `AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/sts/aws4_request, ...` → the key id. */
function signingKeyId(authorization: string | undefined): string | undefined {
  const match = /Credential=([^/,\s]+)\//.exec(authorization ?? '');
  return match?.[1];
}

function errorReply(code: string, message: string, requestId: string): AwsResponse {
  const body =
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: 400, headers: XML_HEADERS, body };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
