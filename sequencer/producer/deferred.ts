// A promise with its resolve/reject in hand: the pipeline's hand-offs between stages (a block's root is done,
// its hash is known, it is durable). A rejection nobody awaited is not an unhandled one: the stage that
// failed reports the failure itself.
export class Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  settled = false;
  /** The value it resolved with. */
  value: T | undefined;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = (v) => {
        this.settled = true;
        this.value = v;
        resolve(v);
      };
      this.reject = (e) => {
        this.settled = true;
        reject(e);
      };
    });
    this.promise.catch(() => {});
  }

  static resolved<T>(value: T): Deferred<T> {
    const d = new Deferred<T>();
    d.resolve(value);
    return d;
  }
}
