package amf

// AMF0 markers.
const (
	m0Number      = 0x00
	m0Boolean     = 0x01
	m0String      = 0x02
	m0Object      = 0x03
	m0MovieClip   = 0x04
	m0Null        = 0x05
	m0Undefined   = 0x06
	m0Reference   = 0x07
	m0ECMAArray   = 0x08
	m0ObjectEnd   = 0x09
	m0StrictArray = 0x0A
	m0Date        = 0x0B
	m0LongString  = 0x0C
	m0Unsupported = 0x0D
	m0RecordSet   = 0x0E
	m0XMLDocument = 0x0F
	m0TypedObject = 0x10
	m0AVMPlus     = 0x11
)
