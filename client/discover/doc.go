// Package discover finds out what an AMF gateway offers and what it is.
//
// [List] and [Describe] ask the gateway's own discovery service, in
// whichever dialect it speaks: amfcall serve's (amfcall.discover), AMFPHP
// 2's (AmfphpDiscoveryService.discover), AMFPHP 1.x's
// (amfphp.DiscoveryService.getServices and describeService) or Zend_Amf's
// introspector (Zend_Amf_Adobe_Introspector.introspect, one service at a
// time). A gateway that answers none of them gives a [*NoDiscoveryError].
//
// [Probe] tells which gateway software answers from a few harmless
// requests, and [Enumerate] guesses service and method names from the
// difference between "no such service" and "no such method" faults.
//
// [SaveTargets] and [CachedTargets] keep the names a listing found in the
// user's cache folder, for shell completion, which never calls the
// network.
//
// # Security
//
// Replies are decoded by the client with its limits; a discovery reply
// describes at most [MaxServices] services, [MaxMethods] methods per
// service and [MaxParams] parameters per method, descriptions are cut to
// 4 KiB, and Zend's XML description is scanned without an XML parser (see
// [ParseZendDescription]). Nothing in a reply is ever run or mapped to
// code. A reply's bytes are bounded by [MaxReplySize] rather than the
// client's 64 MiB: [Probe] uses it when its Config sets no bound, and
// the clients given to [List] and [Describe] should have it too.
package discover

// MaxReplySize bounds the bytes of a discovery reply (Config.
// MaxResponseSize) unless the caller sets a bound: a fault, a ping's
// acknowledgement or a listing of services takes a few KiB, and a large
// AMFPHP 2 listing with its doc comments a few hundred. With the
// client's 64 MiB, probe's three requests against a gateway whose
// replies never end peaked at 229 MB (each read grows to about 1.5
// times the bound before it fails, and the next comes before the
// garbage collector frees it).
const MaxReplySize = 8 << 20
