const APP_CONFIG = /(^|\/)[^/]+\.pipecd\.yaml$/;

/** app.pipecd.yaml, or any `*.pipecd.yaml` (several apps may share a directory that way). */
export function isAppConfigPath(path: string): boolean {
  return APP_CONFIG.test(path);
}

/** Directory part of a repo-relative, '/'-separated path; '' for the root. */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/**
 * Resolves a file named in a manifest against the app directory. Returns undefined when the result would
 * leave the repository (`../../etc/passwd`) or is absolute, which manifests must not do.
 */
export function resolveInApp(appDir: string, relative: string): string | undefined {
  if (relative.startsWith('/') || /^[A-Za-z]:[\\/]/.test(relative)) return undefined;
  const out: string[] = appDir ? appDir.split('/') : [];
  for (const part of relative.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}
