declare module 'asl-validator' {
  interface ValidationError {
    'Error code': string;
    Message: string;
  }
  interface ValidatorOptions {
    checkPaths?: boolean;
    checkArn?: boolean;
  }
  interface ValidationResult {
    isValid: boolean;
    errors: ValidationError[];
    errorsText(separator?: string): string;
  }
  /** Validates an Amazon States Language definition. It MUTATES its input (adds QueryLanguage): pass a clone. */
  function validator(definition: unknown, options?: ValidatorOptions): ValidationResult;
  export = validator;
}
