import { useFieldError } from '../forms.js';

/**
 * The message of a field that is not one input (a group of check boxes, a whole list) in the
 * enclosing form: registered like an input, so the server's refusal lands here.
 */
export function FieldMessage({ field }: { field: string }) {
  const { error } = useFieldError(field);
  return (
    <span data-field={field} tabIndex={-1} className={error ? 'field-error' : undefined} role={error ? 'alert' : undefined}>
      {error}
    </span>
  );
}
