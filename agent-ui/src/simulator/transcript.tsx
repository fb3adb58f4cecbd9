import { useEffect, useRef } from "preact/hooks";
import type { SimCallView } from "./types.js";

/** What the caller heard, newest at the bottom; each <Say> with its language. */
export function Transcript(props: { heard: SimCallView["heard"] }) {
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => end.current?.scrollIntoView({ block: "end" }), [props.heard.length]);
  return (
    <ol class="sim-transcript" aria-live="polite">
      {props.heard.map((line, index) => (
        <li key={index} class={`sim-line sim-${line.kind}`}>
          {line.kind === "say" ? <span class="sim-lang">{line.language ?? "?"}</span> : null}
          <span>{line.kind === "play" ? "♪ hold music" : line.text}</span>
        </li>
      ))}
      <li ref={end} class="sim-end" />
    </ol>
  );
}
