/**
 * The Lambda functions the state machine calls, and the placeholders statemachines/deployment.asl.json
 * uses for their ARNs. serverless.yml substitutes them with DefinitionSubstitutions; the local
 * stack substitutes local ARNs. One table, so the three cannot drift apart.
 */
export const ASL_FUNCTIONS = {
  OrchestrateFunctionArn: 'orchestrate',
  StageFunctionArn: 'stage',
  ApprovalRequestFunctionArn: 'approval-request',
} as const;

export type AslPlaceholder = keyof typeof ASL_FUNCTIONS;

/** Replaces every `${Placeholder}` in the definition text; an unknown placeholder is an error. */
export function substituteDefinition(definition: string, arnFor: (functionName: string) => string): string {
  return definition.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const fn = ASL_FUNCTIONS[name as AslPlaceholder];
    if (!fn) throw new Error(`statemachines/deployment.asl.json uses an unknown placeholder \${${name}}`);
    return arnFor(fn);
  });
}
