package amf

import "fmt"

// Profile selects which AMF0 values take a slot in the AMF0 reference
// table besides objects and arrays. Implementations disagree (see the
// package documentation); decode a peer's data with the peer's profile.
type Profile uint8

const (
	// ProfileFlash registers XML documents, as Flash Player does (the
	// default). Dates are not registered.
	ProfileFlash Profile = iota
	// ProfileBlazeDS registers neither XML documents nor dates, as BlazeDS
	// and RocketAMF do.
	ProfileBlazeDS
	// ProfilePyAMF registers XML documents and dates, as PyAMF's reader does.
	ProfilePyAMF
)

func (p Profile) registersXML() bool   { return p == ProfileFlash || p == ProfilePyAMF }
func (p Profile) registersDates() bool { return p == ProfilePyAMF }

// DecOptions are the decoder's limits and choices. The zero value is safe:
// every zero field means its default.
type DecOptions struct {
	// MaxDepth bounds the nesting of complex values, counted across 0x11
	// switches. Default 512, range [4, 65536].
	MaxDepth int
	// MaxElements bounds the elements of one array, object, vector or
	// dictionary. Default 16,777,216, range [16, 2^31-1].
	MaxElements int
	// MaxLength bounds one string, XML text or ByteArray in bytes.
	// Default 268,435,455 (the AMF3 limit), range [256, 2^32-1].
	MaxLength int
	// MaxReferences bounds each reference table (AMF0 objects; AMF3
	// strings, objects, traits). Default 16,777,216, range [16, 2^31-1].
	MaxReferences int
	// Profile selects the AMF0 reference-table rules. Default ProfileFlash.
	Profile Profile
	// AllowInvalidUTF8 replaces invalid UTF-8 in strings with U+FFFD.
	// Default false: a string that is not UTF-8 (a PHP or ColdFusion
	// gateway's Latin-1 or binary string) is kept byte for byte.
	AllowInvalidUTF8 bool
	// UnregisteredArgs reads every packet message the way PyAMF's client
	// numbers AMF0 references: the argument array takes no slot. By
	// default the decoder numbers as Flash Player does and switches only
	// when a reference points at the argument array itself (see
	// Message.UnregisteredArgs). Default false.
	UnregisteredArgs bool
}

// DecMode is a validated, immutable, reusable decoder configuration.
type DecMode struct {
	maxDepth, maxElements, maxLength, maxRefs int
	profile                                   Profile
	lossyUTF8                                 bool
	unregArgs                                 bool
	// count, when not nil, is a packet's count read as the bytes say
	// ([DecMode.WithCount]), not as it is written.
	count *CountFix
}

const (
	defaultMaxDepth    = 512
	defaultMaxElements = 1 << 24
	defaultMaxLength   = 1<<28 - 1
	defaultMaxRefs     = 1 << 24
)

func checkRange(name string, v *int, def, lo, hi int) error {
	if *v == 0 {
		*v = def
		return nil
	}
	if *v < lo || *v > hi {
		return fmt.Errorf("amf: invalid %s %d (range is [%d, %d])", name, *v, lo, hi)
	}
	return nil
}

// DecMode validates the options once into a reusable mode.
func (o DecOptions) DecMode() (*DecMode, error) {
	if err := checkRange("MaxDepth", &o.MaxDepth, defaultMaxDepth, 4, 65536); err != nil {
		return nil, err
	}
	if err := checkRange("MaxElements", &o.MaxElements, defaultMaxElements, 16, 1<<31-1); err != nil {
		return nil, err
	}
	if err := checkRange("MaxLength", &o.MaxLength, defaultMaxLength, 256, 1<<32-1); err != nil {
		return nil, err
	}
	if err := checkRange("MaxReferences", &o.MaxReferences, defaultMaxRefs, 16, 1<<31-1); err != nil {
		return nil, err
	}
	if o.Profile > ProfilePyAMF {
		return nil, fmt.Errorf("amf: invalid Profile %d", o.Profile)
	}
	return &DecMode{o.MaxDepth, o.MaxElements, o.MaxLength, o.MaxReferences, o.Profile, o.AllowInvalidUTF8, o.UnregisteredArgs, nil}, nil
}

// EncOptions are the encoder's choices. The zero value is safe.
type EncOptions struct {
	// Profile selects the AMF0 reference-table rules the peer uses, so that
	// the encoder's reference indices agree with the peer's. Default
	// ProfileFlash.
	Profile Profile
	// CESU8 writes characters outside the Basic Multilingual Plane in AMF0
	// strings as two 3-byte surrogate sequences, which is what BlazeDS's
	// AMF0 reader needs. Default false (plain UTF-8).
	CESU8 bool
	// CrossEscapeRefs lets the AMF3 encoder inside an AMF0 value write
	// string and traits references to entries made in an earlier 0x11
	// switch of the same header or message value, as PyAMF and BlazeDS
	// read and write them. Default false: such strings and traits are
	// written inline again (and registered again), which every peer reads
	// the same way. Objects are another matter: one value (the same
	// pointer) met again in a later switch is always written as a
	// reference, since sharing it was asked for, as a decoded reference or
	// a typed JSON $ref across switches gives. One packet header or
	// message asks for string and traits references on its own with its
	// CrossEscapeRefs field, which the decoder sets from what it read.
	CrossEscapeRefs bool
}

// EncMode is a validated, immutable, reusable encoder configuration.
type EncMode struct {
	profile         Profile
	cesu8           bool
	crossEscapeRefs bool
}

// EncMode validates the options once into a reusable mode.
func (o EncOptions) EncMode() (*EncMode, error) {
	if o.Profile > ProfilePyAMF {
		return nil, fmt.Errorf("amf: invalid Profile %d", o.Profile)
	}
	return &EncMode{o.Profile, o.CESU8, o.CrossEscapeRefs}, nil
}

var (
	defaultDecMode, _ = DecOptions{}.DecMode()
	defaultEncMode, _ = EncOptions{}.EncMode()
)
