/**
 * True for focus/blur of the window itself, not of an element in it (element focus events do
 * not bubble, but a capturing or synthetic one might reach the window). Compares by kind, not
 * identity: the window object a listener sees can be a proxy of the one it was added to.
 */
export function isWindowEvent(event: Event): boolean {
  const target = event.target as Partial<Node> | null;
  return !target || typeof target.nodeType !== "number";
}
