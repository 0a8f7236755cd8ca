import { ErrorMessage } from '../../../ui/ErrorMessage.tsx';
import { signInProblem } from './errors.ts';

/** An API error as an alert, in plain words for the sign-in errors a person can act on. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const words = signInProblem(error);
  return words ? <div className="error" role="alert"><p>{words}</p></div> : <ErrorMessage error={error} />;
}
