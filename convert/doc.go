// Package convert turns AMF values and remoting packets into JSON and back,
// following the contract in design/json-mapping.md.
//
// # Two forms
//
// The plain form (the default) is JSON for people and for jq. It loses what
// JSON cannot say:
//
//   - null, undefined and the AMF0 "unsupported" marker are all null;
//   - an AMF3 integer and an integral double both print as 5;
//   - NaN and the infinities print as null, -0.0 as 0;
//   - dates print as RFC 3339 text in UTC with three fraction digits
//     ("2009-12-26T14:08:15.023Z"), or as their milliseconds when they are
//     not whole or fall outside years 0000-9999;
//   - a ByteArray prints as standard padded base64, XML and XMLDocument as
//     their text;
//   - class names, traits, ECMA array counts and the AMF0 -> AMF3 switch
//     are dropped; an ArrayCollection or ArrayList prints as its source
//     array, an ObjectProxy as the object it wraps;
//   - an AMF3 array with an associative part prints as an object (dense
//     indices "0", "1", ... first, then the keys in wire order), a
//     Dictionary as an array of [key, value] pairs;
//   - a string whose bytes are not UTF-8 (PHP and ColdFusion gateways send
//     stored Latin-1 or binary strings as they are) is decoded with
//     Options.Charset (windows-1252 by default) and Options.Warn is told
//     once, with the count and the JSON Pointer of the first;
//   - a value shared by reference prints in full at each place; a value
//     that contains itself prints as {"$ref": "/json/pointer"} to its first
//     occurrence where it recurs (Options.Warn is told). Output is bounded
//     by Options.MaxOutput so a reference bomb fails instead of expanding.
//
// The typed form is lossless: it marks what the plain form drops with
// members whose names start with "$": {"$undefined": true},
// {"$double": "NaN"}, -0.0 and 5.0 for doubles, {"$date": ..., "$tz": N},
// {"$bytes": "base64"}, {"$xml": ...}, {"$xmldoc": ...},
// {"$class": "com.example.User", ...}, "$traits" for non-canonical shapes,
// {"$ecma": {...}, "$count": N}, {"$assoc": {...}, "$dense": [...]},
// {"$vector": ...}, {"$dictionary": ...}, {"$amf3": value} for the 0x11
// switch, "$id"/"$ref" for shared values and cycles, and
// {"$latin1": "caf\u00e9"} for a string whose bytes are not UTF-8 (each
// byte as the code point of the same number; a member name of such bytes
// is written "$latin1:caf\u00e9", and so is such a class name, sealed
// name in "$traits", vector object type, packet target, response or
// header name, or .sol name). A data member, class or sealed name that starts
// with "$" gets one more "$" in front. AMF -> typed JSON -> AMF
// gives back the same bytes for canonical encodings (what Flash Player,
// PyAMF or BlazeDS write); other encodings give back an equal value.
//
// A "$date" text is read as RFC 3339's date-time (§5.6: "T" or "t", "Z",
// "z" or an offset); a leap second, 23:59:60 UTC (§5.7), is read as
// 23:59:59 with its fraction, as java.time reads it: AMF dates count
// POSIX milliseconds, which have no leap seconds. Other text is an error
// saying what is wrong.
//
// "$tz" is AMF0's time-zone field; AMF3 dates have none. Typed JSON
// written as AMF3 (bare AMF3 values, frames, a version-3 packet value or
// .sol file, inside {"$amf3": ...}, a $vector, $dictionary or
// externalizable class) drops it: the bytes are the date's without it, and
// Options.Warn is told once, with the count, the JSON Pointer of the
// first date and the line and column of its "$tz".
//
// # Packets
//
// A packet is {"version", "headers": [{"name", "mustUnderstand", "value"}],
// "messages": [{"target", "response", "value"}]} ([AppendPacket],
// [PacketFromJSON]). Beside a header's or message's value the typed form
// adds what writing its bytes back the same needs (see [amf.Header] and
// [amf.Message]):
//
//   - "length": the length field when it was not the exact one (-1 for
//     0xFFFFFFFF);
//   - "unregisteredArgs": true: the request's AMF0 references give the
//     argument array no slot (PyAMF's client, Flash Player 9 as Red5 reads
//     it); "dateRefs": true: dates take one (Flash Player 9). Without them
//     the argument array is reference 0 and dates take none (AVM1 Flash
//     Player, BlazeDS);
//   - "xmlRefs": true: the value's AMF0 references count an XML document's
//     slot, as Flash Player numbers them (an AVM1 request that refers to
//     the XML, or to a value after it). Without it no reference is written
//     to an XML document or to a value after one: such a value is written
//     in full again, which BlazeDS and RocketAMF (XML takes no slot) and
//     Flash Player read alike (digest §1.4);
//   - "crossEscapeRefs": true: the value's AMF3 strings and traits refer to
//     entries of an earlier 0x11 switch of the same value, as BlazeDS and
//     Flash write them; without it they are written inline again in each
//     switch (objects shared across switches are "$id"/"$ref" either way);
//   - "amf0": true: in a version-3 packet, the value was left in AMF0.
//     Without it, reading a version-3 value that has no {"$amf3": ...}
//     switches it the way Flash Player writes object encoding 3: an array's
//     elements each, any other value as a whole.
//
// # Reading JSON
//
// [FromJSON], [FromJSONLines] and [PacketFromJSON] accept both forms (a
// plain document is valid typed input). Member order is kept: documents are
// walked with gjson in document order, never through a Go map. A number
// literal without fraction or exponent in [-2^28, 2^28-1] becomes an AMF3
// integer ([amf.Int]); any other number a double; an integer literal beyond
// ±2^53 is an error rather than a silent rounding. Errors are [*Error]
// values with the byte offset and JSON Pointer of the offending value.
// Input nesting is limited to [MaxJSONDepth] levels. What parses but AMF
// cannot hold (a name over 65535 bytes in AMF0, an empty dynamic member
// name, 65536 messages, traits that do not name the members) fails, where
// JSON is written as AMF, with the encoder's *amf.EncodeError and its
// path, followed by the line, column and offset its path leads to in the
// text (a member's key when its name is the culprit).
//
// A member key given twice in an object that becomes an AMF object, ECMA
// array or associative part is written as given, every member in order
// (AMF allows it; a .sol or an object that holds a name twice converts
// back byte for byte); [FromJSONWarn] and [Source.Render] / RenderTo
// (through [Options].Warn) warn once, naming the first such key with its
// line and column. A key of a packet's, header's, message's or .sol's own
// object given twice is an error, and so is one of an FLV file's JSON form
// or of one of its tags, and so is a typed annotation ($id, $class,
// $traits; $id on a .sol's data object) or a member beside a kind ($tz,
// $count, a vector's items...) given twice in one object.
//
// # Direct paths
//
// Bare AMF values to plain JSON ([AppendAMF], [WriteAMF]) and plain or
// typed JSON to AMF3 or AMF0 ([AppendJSONAsAMF], [WriteJSONAsAMF]) skip
// the value model: they run on the token [amf.Reader] and [amf.Writer], which share
// the value decoder's limits, reference tables and errors, so the output
// or the error is the same as through the model. The Write forms stream:
// memory stays near the input's size whatever the output's.
//
// The JSON form of a packet or .sol file ([AppendPacketJSON],
// [WritePacketJSON], [AppendSOLJSON], [WriteSOLJSON]; "amfcall convert
// --to packet" and "--to sol") takes the same path through the Writer's
// packet and .sol framing, with the same numbering as the encoder
// (UnregisteredArgs, DateRefs, CrossEscapeRefs, the .sol data object as
// reference 0). A packet gives its values' lengths before them and a .sol
// file its size, so a large input is run through twice: once to a Writer
// that only counts ([amf.NewCountingWriter]), then to the output with the
// lengths, and the counts of long arrays, written first. What that path
// does not take, and every error, goes through [PacketFromJSON] or
// [SOLFromJSON] and the encoder, decided before anything is written.
//
// Bare AMF values to typed JSON ([Source.RenderTo], which "amfcall convert
// --typed" runs) skip it too, in two passes over the tokens: the first
// reads the whole input, marking the values a reference points to (they
// get "$id" where they first stand), and gives the error of input that
// does not decode, the Reader's, which is the value decoder's (its
// offset and path); the second writes as it reads. The output is the
// value path's, byte for byte. Input that fails to decode never builds
// the value model on any path (bare values, packets, .sol files, frames):
// its error comes from a pass over its tokens ([amf.Valid],
// [amf.PacketError], [amf.SOLError]).
//
// JSON text on the direct path is checked as it is converted, in one
// pass (the grammar encoding/json accepts, UTF-8, [MaxJSONDepth]); any
// text it refuses is checked again the slow way to say the first error
// and its line and column, and nothing is written before an error in
// the text: [WriteJSONAsAMF] holds its output until the whole text is
// checked (past 32 MiB of output it checks the rest of the text first).
package convert
