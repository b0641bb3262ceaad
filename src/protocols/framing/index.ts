// The public surface of the framing codecs: pure state machines for every way of ending a message
// the socket HOWTO names, and message codecs to stack above them. Join one to a connection with
// FramingLayer (../framing-layer.ts); nothing here does I/O.
export { FrameSyntaxError, FrameTooLongError, isRecoverable, type Codec, type FrameSyntaxErrorOptions } from './codec.js';
export { FixedLengthCodec, type FixedLengthCodecOptions } from './fixed-length-codec.js';
export { DelimitedCodec, type DelimitedCodecOptions } from './delimited-codec.js';
export { LineCodec, type LineCodecOptions, type LineEnding } from './line-codec.js';
export { LengthPrefixedCodec, type ByteOrder, type LengthFieldLength, type LengthPrefixedCodecOptions } from './length-prefixed-codec.js';
export { TypePrefixedCodec, type MessageTypeSpec, type TypedFrame, type TypePrefixedCodecOptions } from './type-prefixed-codec.js';
export { NetstringCodec, type NetstringCodecOptions } from './netstring-codec.js';
export { ReadToEofCodec, type ReadToEofCodecOptions } from './read-to-eof-codec.js';
export { Utf8Codec } from './utf8-codec.js';
export { JsonCodec, type JsonCodecOptions } from './json-codec.js';
