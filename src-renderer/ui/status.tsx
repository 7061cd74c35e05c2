import type { Tone } from '../resources/object-helpers';
import { statusTone } from '../resources/object-helpers';

/** A status word in its colour, with a dot. */
export function Status({ text, tone }: { text: string; tone?: Tone }) {
  return (
    <span className={`status tone-${tone ?? statusTone(text)}`}>
      <span className="dot" />
      {text}
    </span>
  );
}
