// Package amf reads and writes Action Message Format: AMF0 and AMF3
// values, the Flex externalizable classes that Flash remoting uses, and
// whole remoting packets (the body of an application/x-amf HTTP request
// or response).
//
// # Basics
//
// The API follows encoding/json, with the AMF version always explicit:
//
//	var v any
//	err := amf.Unmarshal(data, amf.AMF3, &v)   // exactly one value
//	rest, err := amf.UnmarshalFirst(data, amf.AMF0, &v)
//	b, err := amf.Marshal(v, amf.AMF3)
//	b, err = amf.Append(b[:0], v, amf.AMF3)  // reuse a buffer
//	p, err := amf.UnmarshalPacket(body)       // *Packet: headers, messages
//	body, err = amf.MarshalPacket(p)
//
// A [Decoder] reads a sequence of bare values (as in a file) and returns
// io.EOF at the clean end; an [Encoder] writes one. Both keep the reference
// tables across values, as such files need.
//
// Decoding produces the value model described in types.go: nil, [Undefined],
// [Unsupported], bool, [Int], float64, string, and pointers for the complex
// values ([*Object], [*ECMAArray], [*Array], [*Date], [*ByteArray], [*XML],
// [*Vector], [*Dictionary]). The model keeps everything a byte-exact round
// trip needs: int versus double, undefined versus null, member order, class
// names and traits, sharing and cycles (a reference decodes to the same
// pointer, and the encoder writes a reference when it meets the same
// pointer again), the AMF0 date time zone, ECMA versus strict arrays, and
// where the AMF0 to AMF3 switch was used ([AVMPlus]). Re-encoding a decoded
// value gives back the input whenever the input is what Flash Player,
// BlazeDS or PyAMF would write for it.
//
// The encoders also take plain Go values: []any, map[string]any (members
// sorted by name), []byte, every int and uint type, float32 and
// float64-based types, and time.Time.
//
// # Tokens
//
// Below the value model is a streaming token layer, the one place that
// reads and writes the wire format for the paths that do not build values
// (AMF to JSON and back, uploads, the gateway's request reading). A
// [Reader] (over []byte with [NewReader], over an io.Reader with
// [NewStreamReader]) returns [Token] values: scalars, strings as borrowed
// bytes, the starts and ends of complex values, member names, references
// (which [Reader.Replay] reads again) and, from a stream, ByteArrays too
// large to hold, read through [Reader.Body]. It keeps the three AMF3
// tables and the AMF0 table and applies the [DecMode] limits, with errors
// that give the offset and the path. The value decoder is built on it:
// [Unmarshal], [Decoder], [DecMode.UnmarshalPacket], [DecMode.UnmarshalSOL]
// and [Reader.ReadValue] make values from its tokens, so whichever way
// the bytes are read, the limits and errors are the same; [Reader.Skip],
// [Valid], the packet envelope calls and the dump build on it too. A
// [Writer] writes the same tokens, keeps the string and traits tables,
// writes exact counts and lengths (patched in when only known at the
// end), streams a [ByteArrayStream] from an io.Reader of known length, and
// frames packets ([Writer.WritePacket]). The value encoder ([Marshal],
// [Encoder], [MarshalPacket], [MarshalSOL]) walks the value model and
// writes through the Writer's own primitives and tables, so the two
// cannot disagree.
//
// Options go through a validated, reusable mode: [DecOptions.DecMode] and
// [EncOptions.EncMode]. The package-level functions use the defaults.
// Decoders and encoders are pooled: encoding into a buffer with room
// ([Append], [EncMode.AppendPacket]) allocates nothing, and [Marshal] only
// its result. A program that decodes one value or packet after another,
// done with each before the next, can decode into an [Arena], which
// reuses the last decode's memory and so spares the garbage collector.
//
// Two containers are read on the same layer: an [FLVReader] returns an FLV
// file's tags with their offsets and reads script tags ([FLVReader.Script])
// with the token Reader, and a [FrameReader] reads AMF Socket frames.
//
// [DecMode.DumpFunc] (and [WriteDumpText], [WriteDumpJSON]) explains AMF
// bytes range by range, for people: a packet, a .sol file, an FLV file's
// script data or bare values, read with the token [Reader] under the same
// limits, up to the first fault.
//
// # AMF0 and AMF3
//
// AMF0 is the ActionScript 1/2 encoding: one number type (float64), U16- or
// U32-prefixed strings, anonymous and typed objects, ECMA (associative) and
// strict arrays, dates with a time-zone field, XML documents and one
// reference table. AMF3 is the ActionScript 3 encoding: 29-bit integers
// beside doubles, three reference tables (strings, objects, traits),
// traits for typed and sealed objects, externalizable objects, ByteArray,
// E4X XML, Vectors and Dictionary.
//
// An AMF0 stream switches to AMF3 for one value with the marker 0x11. The
// decoder returns such values wrapped in [AVMPlus]; the encoder writes an
// [AVMPlus] through the switch, and switches by itself for values that
// exist in AMF3 only (ByteArray, []byte, Vector, Dictionary, E4X XML,
// arrays with an associative part, externalizable objects). To send a
// request with object encoding 3, set [Packet.Version] to 3 and wrap each
// argument in [AVMPlus] inside the strict array of arguments.
//
// Reference scope follows the safe policy of the protocol digest: each
// packet header value and message value is its own context (all tables
// start empty); inside one value, the AMF3 tables carry across 0x11
// switches when decoding. When encoding, an AMF3 string or traits never
// refers to an entry made in an earlier switch of the same value (it is
// written inline again, and registered again), unless
// [EncOptions].CrossEscapeRefs is set or, in a packet, the header or
// message says its writer did (CrossEscapeRefs, which the decoder sets
// when it reads such a reference); an object (the same pointer) met
// again in a later switch is written as a reference, so that a decoded
// cross-switch reference, or a typed JSON $ref, is written back as one.
//
// Externalizable objects write their own payload, so only known classes
// can be read: flex.messaging.io.ArrayCollection, ArrayList and ObjectProxy
// (one member, "source" or "object") and the Flex small messages DSK, DSA
// and DSC (members named after the message fields: "body", "clientId",
// "messageIdBytes", "correlationId", "operation", ...; a flag bit this
// package does not know is kept as "unknown_<group>_<byte>_<bit>"). Any
// other externalizable class is an error wrapping [ErrUnknownExternalizable]
// that names the class.
//
// # Type mapping
//
// Markers, Go types and the JSON forms of the amfcall converter (plain /
// typed; see the project's JSON mapping for the details):
//
//	AMF0               AMF3              Go value                   JSON plain / typed
//	05 null            01 null           nil                        null
//	06 undefined       00 undefined      Undefined{}                null / {"$undefined": true}
//	0D unsupported     -                 Unsupported{}              null / {"$unsupported": true}
//	01 boolean         02, 03            bool                       true, false
//	-                  04 integer        Int                        5
//	00 number          05 double         float64                    5 / 5.0, NaN etc. as {"$double": ...}
//	02, 0C string      06 string         string                     "..."
//	0B date            08 date           *Date                      "2009-12-26T14:08:15.023Z" / {"$date": ...}
//	0F XML document    07 XMLDocument    *XML{Document: true}       "<a/>" / {"$xmldoc": "<a/>"}
//	-                  0B XML            *XML                       "<a/>" / {"$xml": "<a/>"}
//	-                  0C ByteArray      *ByteArray                 "base64" / {"$bytes": "base64"}
//	03 object          0A object         *Object                    {...}
//	10 typed object    0A object         *Object{Class: ...}        {...} / {"$class": ..., ...}
//	08 ECMA array      -                 *ECMAArray                 {...} / {"$ecma": {...}}
//	0A strict array    09 array          *Array                     [...]; with an assoc part {"$assoc", "$dense"}
//	-                  0D-10 Vector      *Vector                    [...] / {"$vector": ...}
//	-                  11 Dictionary     *Dictionary                [[k, v], ...] / {"$dictionary": ...}
//	-                  0A externalizable *Object (Traits.Externalizable) per class
//	07 reference       (U29 references)  the same pointer again     {"$ref": ...} where needed
//	11 switch to AMF3  -                 AVMPlus{value}             value / {"$amf3": value}
//
// # Security
//
// The decoder is built for hostile input: it never panics, it checks every
// claimed length and count against the bytes that are left before it
// allocates anything, and it bounds the work and memory of every value.
// Claimed counts never reserve memory that the input cannot back: items
// are gathered on shared scratch stacks and copied out at their real size,
// and only one container at a time (the outermost large one) gets its
// slice allocated up front. A reference decodes to the same pointer, so a
// reference bomb costs memory linear in its input. Errors are a
// [*SyntaxError] with the byte offset and the path of the failing value;
// decoded results are nil on error.
//
// The values of one decode share memory: objects, arrays, members, items,
// dates, boxed numbers and the bytes of short strings are cut from chunks
// of at most 1,024 elements (16 KiB for string bytes), each slice with its
// capacity at its length, so that appending to one never touches another.
// A part of a large result that is kept keeps the chunks it lies in alive
// (48 KiB each at most): copy it to keep it alone.
//
// The limits, with their defaults (set a [DecOptions] field to raise or
// lower one; zero means the default):
//
//   - MaxDepth, 512 (range 4 to 65536): nesting of objects, arrays,
//     vectors, dictionaries and externalizables, counted across the AMF0
//     and AMF3 parts of a value and the 0x11 switch itself. Exceeding it is
//     a [*MaxDepthError].
//   - MaxElements, 16,777,216 (16 to 2^31-1): members of one object or
//     ECMA array, items of one array, vector or dictionary, sealed members
//     of one traits block. [*MaxElementsError].
//   - MaxLength, 268,435,455 bytes (256 to 2^32-1): one string, member
//     name, XML text or ByteArray. [*MaxLengthError].
//   - MaxReferences, 16,777,216 (16 to 2^31-1): entries of each reference
//     table (AMF0 objects; AMF3 strings, objects and traits).
//     [*MaxReferencesError].
//   - The stream [Decoder] reads at most [Decoder].MaxInput bytes, 1 GiB by
//     default.
//   - A [FrameReader] (AMF Socket frames) refuses a frame longer than
//     [FrameReader].MaxFrame, [DefaultMaxFrame] (64 MiB) by default, with a
//     [*FrameSizeError] before allocating anything for it, and allocates a
//     payload only as its bytes arrive (64 KiB at a time).
//   - An [FLVReader] checks each tag's data size against the bytes left
//     (over a stream: allocating only as the bytes arrive, 64 KiB at a
//     time), holds only script data (at most 16 MiB, a tag's largest),
//     reads audio, video and encrypted tags past without holding them,
//     and reads each script tag as its own AMF0 reference context with
//     the mode's limits.
//
// [IsLimit] tells a limit error from malformed input. Input that stops
// inside a value is an error wrapping io.ErrUnexpectedEOF. Strings are
// UTF-8 (CESU-8 surrogate pairs, as Java writes them, are combined); a
// string that is not (Latin-1 or binary data from a PHP or ColdFusion
// gateway) is kept byte for byte and never fails a decode, unless
// AllowInvalidUTF8 asks for U+FFFD instead. XML is kept as text and never parsed.
// The encoder follows at most 65,600 levels of nesting, so a cycle through
// values that cannot be referenced ([]any, map[string]any) is an error,
// not a hang.
//
// # Compatibility
//
// Implementations disagree on which AMF0 values take a slot in the
// reference table besides objects and arrays. [Profile] selects the rules
// for decoding ([DecOptions].Profile) and encoding ([EncOptions].Profile):
//
//   - [ProfileFlash] (the default): XML documents take a slot, as a
//     captured Flash Player request shows; dates do not.
//   - [ProfileBlazeDS]: neither XML documents nor dates, as BlazeDS and
//     RocketAMF do.
//   - [ProfilePyAMF]: XML documents and dates, as PyAMF's reader does.
//
// Decode a peer's data with the peer's profile. The encoder writes a date
// met again (the same pointer) as a reference only where the profile (or
// the message's numbering) gives it a slot; otherwise it writes it inline
// again. After an XML document that takes a slot, it follows the
// digest's recommendation (§1.4): no reference to the document or to any
// value registered after it, each written in full again, so that a peer
// that gives XML no slot reads the same value; a header or message read
// with a reference that needed the XML's slot ([Header].XMLRefs,
// [Message].XMLRefs) and every .sol file are numbered as Flash Player
// numbers them instead, so their bytes come back the same.
//
// Players also disagree on a request's argument array (see
// [Message].UnregisteredArgs and [Message].DateRefs): Flash Player (AVM1)
// numbers it 0, PyAMF's client gives it no slot, Flash Player 9 as Red5
// reads it gives it none and dates one. [DecMode.UnmarshalPacket] reads
// each request with the numbering under which every reference resolves
// and no argument list contains itself, Flash's when it fits. In an AMF0
// .sol file the data object is reference 0 (see [SOL]).
//
// Tolerated on input, written the canonical way on output:
//
//   - remoting header and message lengths of 0 (PyAMF), 1 (BlazeDS),
//     0xFFFFFFFF (RocketAMF) or anything else are ignored; the value read
//     is kept in Length so the packet re-encodes as it came, and exact
//     lengths are written otherwise;
//   - the ECMA array count is ignored (PyAMF writes the highest index,
//     BlazeDS 0) and kept in Count when it is not the member count, which
//     is what the encoder writes;
//   - the AMF0 date time zone is exposed as read and never applied;
//   - a Dictionary weak-keys byte of 02 (BlazeDS) reads as true;
//   - long strings (0x0C) shorter than 65536 bytes, overlong U29s, and
//     inline strings or traits that could have been references are read
//     and written canonically;
//   - AMF0 booleans other than 00/01 read as true;
//   - CESU-8 from Java peers is read; [EncOptions].CESU8 writes it for
//     BlazeDS's AMF0 reader.
//
// PyAMF quirks not copied: its U29 decoder rewrites 4-byte values with bit
// 28 set (we read the plain value), it inflates ByteArrays that look like
// zlib data (we never do), it turns integral AMF0 numbers and numeric
// ECMA keys into ints (we keep float64 and strings), it writes sealed
// members in alphabetical order and a U32 for long AMF0 keys (we keep the
// sender's order and refuse keys over 65535 bytes).
package amf
