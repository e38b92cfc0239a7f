import {renderGroups} from "./groups.js";

export function render(root, {signal}) {
  return renderGroups(root, signal, "session");
}
