import { expect } from "chai";

/** Asserts `run` throws an `errorClass` with exactly this code and message. */
export function expectNamedError(run: () => unknown, errorClass: new (...args: never[]) => Error, code: string, message: string): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, "no error thrown").to.be.instanceOf(errorClass);
  expect({ code: (thrown as { code?: string }).code, message: (thrown as Error).message }).to.deep.equal({ code, message });
}
