// How a protocol hears that a codec below it rejected the input: the hook FramingLayer calls, which
// every layer between the codec and the application passes up (a codec above, an idle timeout).

/** A protocol that wants to hear of input a codec below it could not decode (chat's notice, a JSON server's error answer). */
export interface DecodeErrorAware {
  /**
   * A codec below rejected the input with `error`. Most such errors leave the stream out of step
   * (a line too long, a bad length field): the connection closes after this call, with `error` as
   * connectionLost's reason, whatever it returns. A recoverable one (`isRecoverable(error)`: a
   * message codec rejected one whole frame and the stream is still in step) keeps the connection
   * open when this returns true, and decoding goes on with the next frame; returning anything else
   * closes it as for any other error.
   */
  decodeFailed?(error: Error): boolean | void;
}
