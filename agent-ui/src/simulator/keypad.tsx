const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];

/** A phone keypad: each key is appended to the number being typed. */
export function Keypad(props: { disabled: boolean; onKey: (key: string) => void }) {
  return (
    <div class="sim-keypad" role="group" aria-label="Keypad">
      {KEYS.map((key) => (
        <button type="button" key={key} disabled={props.disabled} onClick={() => props.onKey(key)} data-key={key}>
          {key}
        </button>
      ))}
    </div>
  );
}
