import { describe, expect, it } from 'vitest';
import { parseElbv2Request } from '../../src/local/ecs-elbv2/wire/query-protocol.js';
import { toXml } from '../../src/local/ecs-elbv2/wire/xml.js';

const form = (body: string) => ({ method: 'POST', path: '/', headers: {}, contentType: 'application/x-www-form-urlencoded; charset=utf-8', body });

describe('awsQuery decoding', () => {
  it('turns member.N keys into lists and dotted keys into structures', () => {
    const req = parseElbv2Request(
      form(
        'Action=ModifyListener&Version=2015-12-01&ListenerArn=L' +
          '&DefaultActions.member.1.Type=forward' +
          '&DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn=A' +
          '&DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.TargetGroupArn=B' +
          '&DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight=10' +
          '&DefaultActions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled=false',
      ),
    );
    expect(req).toEqual({
      action: 'ModifyListener',
      params: {
        ListenerArn: 'L',
        DefaultActions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [{ TargetGroupArn: 'A' }, { TargetGroupArn: 'B', Weight: '10' }],
              TargetGroupStickinessConfig: { Enabled: 'false' },
            },
          },
        ],
      },
    });
  });

  it('keeps an empty list marker such as Conditions= as an empty string read as []', () => {
    expect(parseElbv2Request(form('Action=ModifyRule&Version=2015-12-01&Conditions='))?.params).toEqual({ Conditions: '' });
  });

  it('ignores JSON requests and other query API versions', () => {
    expect(parseElbv2Request(form('Action=DescribeInstances&Version=2016-11-15'))).toBeUndefined();
    expect(parseElbv2Request({ ...form('{}'), contentType: 'application/x-amz-json-1.1', target: 'X.Y' })).toBeUndefined();
  });
});

describe('awsQuery XML encoding', () => {
  it('writes lists as member elements and escapes text', () => {
    expect(toXml({ A: ['x<y', 2], B: true, C: undefined, D: [] })).toBe('<A><member>x&lt;y</member><member>2</member></A><B>true</B><D></D>');
  });
});
