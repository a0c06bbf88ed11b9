/**
 * Why an image reference is mutable, or undefined when it is pinned. A deployment must name exactly
 * what it runs: a rollback to `:latest` would not go back to anything.
 */
export function mutableImageReason(image: string): string | undefined {
  if (image.includes('@')) return undefined; // a digest pins the content, whatever the tag says
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  // A colon before the last "/" is a registry port (registry:5000/app), not a tag.
  if (colon < 0) return 'has no tag or digest, so it means :latest';
  const tag = lastSegment.slice(colon + 1);
  if (tag === '') return 'has an empty tag';
  if (tag === 'latest') return 'uses the mutable tag latest';
  return undefined;
}
