/** The trigger patterns live with the manifest that declares them; the push analysis matches with them. */
export { compilePattern, compilePatterns, patternProblem, type PathMatcher } from '../manifest/trigger-pattern.js';
