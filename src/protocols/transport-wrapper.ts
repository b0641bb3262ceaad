// The Transport half of every layer that sits between a protocol and its transport (Twisted's
// ProtocolWrapper, Netty's ChannelDuplexHandler): each Transport member passes to the transport
// below by default, so a layer overrides only what it changes and a member added to the contract
// cannot be forgotten by one layer (Throttle once lost setProtocol so). One error, NotConnectedError,
// for a call made when there is no transport below.
import { type Address, NotConnectedError, type Protocol, type Transport } from '../contract/index.js';

/**
 * The Transport of `Up` that a layer offers the protocol above it, over the Transport of `Down`
 * below it. Every member passes through to the transport below, except `write` (only the subclass
 * knows how an `Up` becomes a `Down`) and `setProtocol` (only it knows what to keep). Calls made
 * before attach() (the layer's connectionMade) or after handOffBelow() throw NotConnectedError,
 * but `isClosing` is true and `isReading` false once the layer handed its connection off.
 */
export abstract class TransportWrapper<Up, Down = Up> implements Transport<Up> {
  readonly #layerName: string;
  #below: Transport<Down> | undefined;
  #isHandedOff = false;

  /** `layerName` names the layer in NotConnectedError's message ("the idle timeout layer"). */
  protected constructor(layerName: string) {
    this.#layerName = layerName;
  }

  /** Keeps `below` as the transport to pass calls to (from the layer's connectionMade). */
  protected attach(below: Transport<Down>): void {
    this.#below = below;
  }

  /**
   * The layer hands its connection to another protocol: returns the transport below, which this
   * layer then forgets, so later calls from the protocol above throw NotConnectedError.
   */
  protected handOffBelow(operation: string): Transport<Down> {
    const below = this.transportBelow(operation);
    this.#below = undefined;
    this.#isHandedOff = true;
    return below;
  }

  /** True once handOffBelow() ran. */
  protected get isHandedOff(): boolean {
    return this.#isHandedOff;
  }

  /** The transport below, or undefined (not connected yet, or handed off): for a layer's own checks, which must not throw. */
  protected get transportBelowIfAny(): Transport<Down> | undefined {
    return this.#below;
  }

  /** The transport below, for the Transport call `operation`; NotConnectedError when there is none. */
  protected transportBelow(operation: string): Transport<Down> {
    const below = this.#below;
    if (below === undefined) throw new NotConnectedError(operation, this.#layerName, this.#isHandedOff);
    return below;
  }

  /** Writes `data` below, as the layer makes it into the transport below's type. */
  abstract write(data: Up): void;

  /** Hands the connection to `next` (Transport.setProtocol): each layer says what it keeps. */
  abstract setProtocol(next: Protocol<Up, Up>, leftover?: readonly Up[]): void;

  /** Shuts down writing below. */
  writeEOF(): void {
    this.transportBelow('writeEOF').writeEOF();
  }
  /** Closes below once queued data is out. */
  close(): void {
    this.transportBelow('close').close();
  }
  /** Closes below now, discarding queued data. */
  abort(): void {
    this.transportBelow('abort').abort();
  }
  /** Pauses reading below. */
  pauseReading(): void {
    this.transportBelow('pauseReading').pauseReading();
  }
  /** Resumes reading below. */
  resumeReading(): void {
    this.transportBelow('resumeReading').resumeReading();
  }
  /** The transport below's isReading; false once handed off. */
  get isReading(): boolean {
    return !this.#isHandedOff && this.transportBelow('isReading').isReading;
  }
  /** The transport below's isClosing; true once handed off. */
  get isClosing(): boolean {
    return this.#isHandedOff || this.transportBelow('isClosing').isClosing;
  }
  /** The transport below's write buffer size. */
  getWriteBufferSize(): number {
    return this.transportBelow('getWriteBufferSize').getWriteBufferSize();
  }
  /** Sets the transport below's write buffer limits. */
  setWriteBufferLimits(high?: number, low?: number): void {
    this.transportBelow('setWriteBufferLimits').setWriteBufferLimits(high, low);
  }
  /** The transport below's local address. */
  get localAddress(): Address {
    return this.transportBelow('localAddress').localAddress;
  }
  /** The transport below's peer address. */
  get peerAddress(): Address {
    return this.transportBelow('peerAddress').peerAddress;
  }
}
