import { fieldPath } from './issues.js';
import type { ReadContext } from './read-object.js';
import { show } from './values.js';

/** `{{ .encryptedSecrets.x }}`, `{{ .attachment.config }}`: PipeCD's Go-template placeholders. */
const PLACEHOLDER = /\{\{[^{}]{0,200}\}\}/;

/**
 * Reports every string in a definition file that still holds a template placeholder. PipeCD fills
 * them from its secret management and attachments, which stepcd does not have yet; sent as they are,
 * ECS would run a container with the literal `{{ ... }}` as its password or config.
 */
export function checkPlaceholders(ctx: ReadContext, root: unknown): void {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      const found = PLACEHOLDER.exec(value);
      if (found) {
        ctx.issues.error(
          ctx.check,
          ctx.file,
          path,
          `holds the template placeholder ${show(found[0])}: PipeCD's secret management and attachments are not supported by stepcd yet, so it would be deployed literally`,
        );
      }
    } else if (Array.isArray(value)) {
      // Pushed in reverse, so issues come out in document order.
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: fieldPath(path, i) });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value).reverse()) stack.push({ value: item, path: fieldPath(path, key) });
    }
  }
}
