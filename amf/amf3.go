package amf

// AMF3 markers.
const (
	m3Undefined    = 0x00
	m3Null         = 0x01
	m3False        = 0x02
	m3True         = 0x03
	m3Integer      = 0x04
	m3Double       = 0x05
	m3String       = 0x06
	m3XMLDocument  = 0x07
	m3Date         = 0x08
	m3Array        = 0x09
	m3Object       = 0x0A
	m3XML          = 0x0B
	m3ByteArray    = 0x0C
	m3VectorInt    = 0x0D
	m3VectorUint   = 0x0E
	m3VectorDouble = 0x0F
	m3VectorObject = 0x10
	m3Dictionary   = 0x11
)

// maxU29 is the largest value a U29 can hold.
const maxU29 = 1<<29 - 1
