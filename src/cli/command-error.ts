/** A failure that ends a command with a message and an exit code, without a stack trace. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
