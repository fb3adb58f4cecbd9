import { render } from "preact";
import "./simulator.css";
import { LoginGate } from "./login-gate.js";
import { SimulatorPage } from "./simulator-page.js";

render(
  <LoginGate>
    <SimulatorPage />
  </LoginGate>,
  document.getElementById("simulator")!,
);
