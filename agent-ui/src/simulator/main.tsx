import { render } from "preact";
import "./simulator.css";
import { SimulatorPage } from "./simulator-page.js";

render(<SimulatorPage />, document.getElementById("simulator")!);
