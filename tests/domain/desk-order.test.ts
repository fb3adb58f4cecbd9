import { expect } from "chai";
import { compareDeskOrder, inDeskOrder, type DeskOrderKey } from "../../server/domain/desk-order.js";

const at = (minute: number) => new Date(Date.UTC(2026, 2, 11, 9, minute));
const call = (id: number, queuedMinute: number | null, missedMinute: number | null = null, createdMinute = 0): DeskOrderKey => ({
  id,
  queuedAt: queuedMinute === null ? null : at(queuedMinute),
  missedAt: missedMinute === null ? null : at(missedMinute),
  createdAt: at(createdMinute),
});

describe("the desk's order of waiting callers", () => {
  it("serves callers by when they joined the queue, then by when the call started, then by id", () => {
    expect(inDeskOrder([call(3, 5), call(1, 7), call(2, 5)]).map((c) => c.id)).to.deep.equal([2, 3, 1]);
    expect(inDeskOrder([call(1, null, null, 6), call(2, 4)]).map((c) => c.id)).to.deep.equal([2, 1]);
  });

  it("puts callers an agent missed before all others, keeping their original order among themselves", () => {
    const order = inDeskOrder([call(1, 1), call(2, 2), call(3, 3, 9), call(4, 4, 8)]).map((c) => c.id);
    expect(order).to.deep.equal([3, 4, 1, 2]);
    expect(compareDeskOrder(call(9, 30, 31), call(1, 1))).to.be.below(0);
  });
});
