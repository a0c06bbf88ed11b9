/**
 * Each generated AWS SDK client's endpoint resolver: its service's published endpoint rules (the
 * `bdd.js` beside it) evaluated by @smithy/core. The packages declare no `exports`, so the module is
 * reachable by path; its types live under dist-types, which a deep import does not find.
 */
declare module '@aws-sdk/*/dist-es/endpoint/endpointResolver.js' {
  interface EndpointParameters {
    Region?: string;
    UseFIPS?: boolean;
    UseDualStack?: boolean;
    Endpoint?: string;
  }
  export const defaultEndpointResolver: (params: EndpointParameters, context?: { logger?: unknown }) => { url: URL };
}
