import { useId, type ReactNode } from 'react';

/**
 * A labelled form control with its hint and error wired up for assistive
 * technology (aria-describedby, aria-invalid). `children` receives the ids.
 */
export function Field(props: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
  children: (ids: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean; required?: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {props.label}
        {props.required && <span className="required"> (required)</span>}
      </label>
      {props.hint && <p id={hintId} className="hint">{props.hint}</p>}
      {props.children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(props.error ? { 'aria-invalid': true } : {}), ...(props.required ? { required: true } : {}) })}
      {props.error && <p id={errorId} className="field-error">{props.error}</p>}
    </div>
  );
}
