import { Input } from './input';

/**
 * A 24-hour `HH:MM` field. A native `<input type="time">` follows the browser's locale (Chromium in
 * en-US shows "02:00 PM"), and clinics in Taiwan read 14:00 in either language: a text field with
 * a numeric keypad, the pattern and an `HH:MM` hint keeps the clock the same everywhere. The label
 * and error come from the caller (Field or a wrapping label), as for any input.
 */
export function TimeInput(props: Omit<React.ComponentProps<'input'>, 'type'>) {
  return (
    <Input
      type="text"
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00"
      placeholder="HH:MM"
      maxLength={5}
      className="w-24 tabular-nums"
      {...props}
    />
  );
}
