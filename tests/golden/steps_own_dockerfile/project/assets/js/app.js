import "phoenix_html";
import { Socket } from "phoenix";
