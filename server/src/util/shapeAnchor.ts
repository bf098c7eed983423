/**
 * Keeping the hidden classes of per-lint objects through a full garbage collection (issue 8).
 *
 * V8 gives an object made by a constructor that adds fields (a class instance, an object literal given
 * more properties later) a hidden class ("map") reached from the constructor's by one transition per field,
 * and keeps such a map only while an object has it (or for a couple of collections after). Optimised code
 * checks for the maps it met, and keeps them as weak constants: a map that dies takes that code with it
 * ("weak objects" deoptimisations in `--trace-deopt`), and the next object of the class gets a new map,
 * so the next lint runs unoptimised code until V8 has compiled it again (the unknown-parameter check
 * alone took 50-80 ms of compiling). Objects made once per lint (its context, budget, filters, the line
 * analyses of a long file) are all garbage between two lints: a full collection there (`gc()` before each
 * timed lint in the bench; a language server's idle-time collections) killed their maps every few lints.
 *
 * A {@link ShapeAnchor} holds the last object of a kind until the next one, so that its map, and those of
 * the objects it reaches, stay alive: one object, not a copy of the lint's data.
 *
 * The same holds for functions: optimised code that inlined a call keeps the function called as a weak
 * constant (a closure made per lint dies with the lint), and the optimised code of an arrow made per call
 * lives only as long as some such arrow does. So what the engine calls in its hot loops is a method of a
 * class or a function of a module, not a closure made per lint (`FindingsFilter`, `AnalysedFile.def`).
 */
export class ShapeAnchor<T extends object> {
  #held: T | undefined;

  /** Holds `o` (in place of the one held before) until the next call. */
  hold(o: T): void {
    this.#held = o;
  }

  /** The object held. */
  get held(): T | undefined {
    return this.#held;
  }
}
