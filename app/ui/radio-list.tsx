/** Radio buttons, one per option, each input before its label (inside a Fieldset). */
export function RadioList({
  idStem,
  name,
  options,
  checked,
}: {
  /** Each input's id is `<idStem>-<value>`; an error summary links to the first. */
  idStem: string;
  name: string;
  options: readonly { value: string; label: string }[];
  checked?: unknown;
}) {
  return (
    <div>
      {options.map(({ value, label }) => (
        <div key={value} className="checkbox">
          <input
            type="radio"
            id={`${idStem}-${value}`}
            name={name}
            value={value}
            defaultChecked={checked === value}
          />
          <label htmlFor={`${idStem}-${value}`}>{label}</label>
        </div>
      ))}
    </div>
  );
}
