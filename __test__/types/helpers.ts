// Type-level assertions: `expectType<T>()(value)` compiles only if value's type is exactly T.

export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/** Compiles only when the argument's type is exactly `T` (not a subtype, not `any`). */
export function expectType<T>(): <U>(value: U & (Equal<T, U> extends true ? unknown : never)) => void {
  return () => {}
}
