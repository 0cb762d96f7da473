import { describe, expect, it } from "vitest";
import { CarriedState } from "../../src/core/carriedState.js";

describe("CarriedState", () => {
  it("starts focused with nothing carried", () => {
    const carried = new CarriedState<string>();
    expect(carried.focused).toBe(true);
    expect(carried.carriers()).toEqual([]);
  });

  it("keeps the latest focus change and the latest depth, oldest first, each once", () => {
    const carried = new CarriedState<string>();
    carried.drop("blur_window", undefined, "blur@1");
    carried.drop("scroll_down", 0.4, "scroll@2");
    carried.drop("click", undefined, "click@3");
    expect(carried.focused).toBe(false);
    expect(carried.carriers()).toEqual(["blur@1", "scroll@2"]);
    carried.drop("focus_window", undefined, "focus@4");
    expect(carried.focused).toBe(true);
    expect(carried.carriers()).toEqual(["scroll@2", "focus@4"]);
    carried.drop("focus_window", 0.1, "focus-with-depth@5");
    expect(carried.carriers()).toEqual(["focus-with-depth@5"]);
    carried.reset();
    expect(carried.focused).toBe(true);
    expect(carried.carriers()).toEqual([]);
  });
});
