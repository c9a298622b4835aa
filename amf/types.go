package amf

import (
	"fmt"
	"io"
)

// The value model. A decoded AMF value is one of:
//
//	nil           null
//	Undefined     undefined
//	Unsupported   AMF0 unsupported (0x0D)
//	bool          boolean
//	Int           AMF3 integer (int29)
//	float64       AMF0 number, AMF3 double
//	string        string (AMF0 string and long string, AMF3 string)
//	*Date         date (AMF0 keeps its time-zone field)
//	*ByteArray    AMF3 ByteArray
//	*XML          XML (E4X) or XMLDocument
//	*Object       anonymous, typed or externalizable object
//	*ECMAArray    AMF0 ECMA (associative) array
//	*Array        AMF0 strict array, AMF3 array (dense and associative parts)
//	*Vector       AMF3 Vector.<int>, Vector.<uint>, Vector.<Number>, Vector.<Object>
//	*Dictionary   AMF3 Dictionary
//	AVMPlus       an AMF3 value written into an AMF0 context through the 0x11 switch
//
// Complex values are pointers so that sharing (AMF references) and cycles
// survive a decode/encode round trip: the encoders write a reference when
// they meet the same pointer twice.

// Version is an AMF object encoding.
type Version uint8

const (
	// AMF0 is the original Flash Player encoding (ActionScript 1 and 2).
	AMF0 Version = 0
	// AMF3 is the ActionScript 3 encoding.
	AMF3 Version = 3
)

func (v Version) String() string {
	switch v {
	case AMF0:
		return "amf0"
	case AMF3:
		return "amf3"
	}
	return "amf?"
}

// Undefined is the ActionScript undefined value, kept apart from null.
type Undefined struct{}

// Unsupported is the AMF0 "unsupported" placeholder (marker 0x0D).
type Unsupported struct{}

// Int is an AMF3 integer, a signed 29-bit value in [MinInt, MaxInt]. It is
// a distinct type so that a decoded integer is re-encoded as an integer and
// a decoded double as a double.
type Int int32

// The AMF3 integer range. Values outside it are written as doubles.
const (
	MinInt = -1 << 28
	MaxInt = 1<<28 - 1
)

// Date is an AMF date: milliseconds since 1970-01-01T00:00:00Z. TZ is the
// AMF0 time-zone field in minutes, exposed as read and never applied to Ms.
// AMF3 dates have no such field and write none.
type Date struct {
	Ms float64
	TZ int16
}

// ByteArray is an AMF3 flash.utils.ByteArray.
type ByteArray struct {
	Data []byte
}

// ByteArrayStream is a ByteArray of N bytes to be read from R while the
// value is written, without holding them: [Writer.WriteValue] and
// [Writer.WritePacket] take it (an upload's file content, for example).
type ByteArrayStream struct {
	R io.Reader
	N int64
}

// XML is XML text, never parsed. Document selects the legacy
// flash.xml.XMLDocument type (AMF0 0x0F, AMF3 0x07) over E4X XML (AMF3 0x0B).
type XML struct {
	Text     string
	Document bool
}

// Member is one named member of an object or associative array.
type Member struct {
	Name  string
	Value any
}

// Traits describe the shape of an AMF3 object: its class alias, its sealed
// member names (in wire order) and whether it carries dynamic members or
// writes itself (externalizable).
type Traits struct {
	Class          string
	Sealed         []string
	Dynamic        bool
	Externalizable bool
}

// Object is an anonymous object (Class ""), a typed object (a class alias,
// never mapped to Go code) or an externalizable object.
//
// Members keep wire order. For AMF3 the first len(Traits.Sealed) members
// are the sealed ones. A nil Traits means the canonical shape: an anonymous
// object is dynamic with no sealed members, a typed object has all members
// sealed and is not dynamic, a known externalizable class writes itself.
//
// Externalizable classes this package knows are listed in [Externalizable];
// their members are the fields the class writes (for example "source" for
// flex.messaging.io.ArrayCollection).
type Object struct {
	Class   string
	Members []Member
	Traits  *Traits
}

// Get returns the value of the first member called name.
func (o *Object) Get(name string) (any, bool) {
	for i := range o.Members {
		if o.Members[i].Name == name {
			return o.Members[i].Value, true
		}
	}
	return nil, false
}

// Set replaces the first member called name, or appends it.
func (o *Object) Set(name string, v any) {
	for i := range o.Members {
		if o.Members[i].Name == name {
			o.Members[i].Value = v
			return
		}
	}
	o.Members = append(o.Members, Member{name, v})
}

// ECMAArray is an AMF0 ECMA array. Count is the count field as it was read
// when it differs from len(Members); nil means the number of members, which
// is what the encoder writes by default.
type ECMAArray struct {
	Members []Member
	Count   *uint32
}

// Array is an AMF0 strict array (Assoc is always empty) or an AMF3 array:
// its associative part in wire order, then its dense part.
type Array struct {
	Dense []any
	Assoc []Member
}

// VectorType says which Vector class a [Vector] is.
type VectorType uint8

const (
	VectorInt    VectorType = 0x0D
	VectorUint   VectorType = 0x0E
	VectorDouble VectorType = 0x0F
	VectorObject VectorType = 0x10
)

func (t VectorType) String() string {
	switch t {
	case VectorInt:
		return "int"
	case VectorUint:
		return "uint"
	case VectorDouble:
		return "double"
	case VectorObject:
		return "object"
	}
	return "?"
}

// Vector is an AMF3 Vector. Exactly one of the item slices is used, chosen
// by Type; ObjectType is the element type name of a Vector.<Object>.
type Vector struct {
	Type       VectorType
	Fixed      bool
	ObjectType string
	Ints       []int32
	Uints      []uint32
	Doubles    []float64
	Objects    []any
}

// Len is the number of items.
func (v *Vector) Len() int {
	switch v.Type {
	case VectorInt:
		return len(v.Ints)
	case VectorUint:
		return len(v.Uints)
	case VectorDouble:
		return len(v.Doubles)
	}
	return len(v.Objects)
}

// DictEntry is one key/value pair of a [Dictionary]; keys are any value.
type DictEntry struct {
	Key   any
	Value any
}

// Dictionary is an AMF3 flash.utils.Dictionary.
type Dictionary struct {
	WeakKeys bool
	Entries  []DictEntry
}

// AVMPlus wraps a value that sits in an AMF0 context but is written in AMF3
// through the 0x11 switch. The decoder produces it wherever the switch was
// used, so that re-encoding writes the same bytes. The encoder also switches
// by itself for values that exist in AMF3 only (ByteArray, Vector,
// Dictionary, E4X XML, arrays with an associative part, externalizables:
// objects whose Traits say so, or with nil Traits, a class this package
// writes and members that fit it).
type AVMPlus struct {
	Value any
}

// Unwrap removes any AVMPlus wrappers around v.
func Unwrap(v any) any {
	for {
		w, ok := v.(AVMPlus)
		if !ok {
			return v
		}
		v = w.Value
	}
}

// Describe names the kind of a decoded value for a message, with its article:
// "null", "a string", "an object of class flex.messaging.io.ArrayCollection".
// A class name is the sender's text: quote or escape it before it reaches
// a terminal.
func Describe(v any) string {
	switch x := Unwrap(v).(type) {
	case nil:
		return "null"
	case Undefined:
		return "undefined"
	case bool:
		return "a boolean"
	case Int, float64:
		return "a number"
	case string:
		return "a string"
	case *ByteArray:
		return "a ByteArray"
	case *Date:
		return "a date"
	case *XML:
		return "XML"
	case *Object:
		if x.Class != "" {
			return "an object of class " + x.Class
		}
		return "an object"
	case *Array, *ECMAArray, []any:
		return "an array"
	}
	return fmt.Sprintf("a %T", v)
}
