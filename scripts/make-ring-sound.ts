import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../server/paths.js";

/**
 * Writes the console's pop chime (agent-ui/src/console/sounds/ring.wav): two soft tones, 0.8 s, 8 kHz 16-bit mono PCM.
 * Made once and committed; run again (`node dist/scripts/make-ring-sound.js`) only to change the sound.
 */
const rate = 8000;
const tones = [
  { hz: 880, seconds: 0.35 },
  { hz: 660, seconds: 0.45 },
];
const samples: number[] = [];
for (const { hz, seconds } of tones) {
  const count = Math.round(rate * seconds);
  for (let i = 0; i < count; i++) {
    const t = i / rate;
    // A quick attack and an exponential decay, so it chimes rather than beeps.
    const envelope = Math.min(1, t / 0.01) * Math.exp(-t * 6);
    samples.push(Math.round(Math.sin(2 * Math.PI * hz * t) * envelope * 0.5 * 32767));
  }
}
const data = Buffer.alloc(samples.length * 2);
samples.forEach((value, i) => data.writeInt16LE(value, i * 2));
const header = Buffer.alloc(44);
header.write("RIFF", 0);
header.writeUInt32LE(36 + data.length, 4);
header.write("WAVE", 8);
header.write("fmt ", 12);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(rate, 24);
header.writeUInt32LE(rate * 2, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write("data", 36);
header.writeUInt32LE(data.length, 40);
const target = path.join(projectRoot, "agent-ui", "src", "console", "sounds", "ring.wav");
fs.writeFileSync(target, Buffer.concat([header, data]));
console.log(`wrote ${target} (${header.length + data.length} bytes)`);
