package discover

import (
	"errors"
	"strings"
)

// maxZendText bounds the introspector text that is read.
const maxZendText = 4 << 20

// ParseZendDescription reads the reply of Zend_Amf's
// Zend_Amf_Adobe_Introspector.introspect(service): an XML service
// description (<service-description><types>...</types><operations>
// <operation name returnType><argument name type defaultvalue/>...
// </operation></operations></service-description>), or "ERROR: ..." text.
//
// It is read without an XML parser: the text is scanned for the start
// tags <operation ...> and <argument ...> and their quoted attribute
// values, of which the five predefined entities are decoded. There is no
// DTD, no other entity, no namespace processing, and nothing else of the
// text is used, so a hostile description can name wrong methods but can
// make amfcall do nothing else.
func ParseZendDescription(text, service string) (*Service, error) {
	if len(text) > maxZendText {
		return nil, shapeErr("the introspector's description is %d bytes (at most %d are read)", len(text), maxZendText)
	}
	t := strings.TrimSpace(text)
	if msg, ok := strings.CutPrefix(t, "ERROR:"); ok {
		return nil, errors.New("the introspector answered: " + strings.TrimSpace(msg))
	}
	if !strings.Contains(t, "<service-description") {
		return nil, shapeErr("the introspector's reply is not a service description")
	}
	s := &Service{Name: service, Methods: []Method{}}
	for rest := t; ; {
		i := strings.Index(rest, "<")
		if i < 0 {
			break
		}
		rest = rest[i+1:]
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			break
		}
		tag := rest[:end]
		rest = rest[end+1:]
		name, attrs, _ := strings.Cut(tag, " ")
		switch strings.TrimSuffix(name, "/") {
		case "operation":
			if len(s.Methods) >= MaxMethods {
				return nil, shapeErr("more than %d operations", MaxMethods)
			}
			a := attributes(attrs)
			s.Methods = append(s.Methods, Method{Name: a["name"], Returns: a["returnType"], Params: []Param{}})
		case "argument":
			if len(s.Methods) == 0 {
				continue
			}
			m := &s.Methods[len(s.Methods)-1]
			if len(m.Params) >= MaxParams {
				return nil, shapeErr("operation %s has more than %d arguments", said(m.Name), MaxParams)
			}
			a := attributes(attrs)
			m.Params = append(m.Params, Param{Name: a["name"], Type: a["type"], Default: a["defaultvalue"]})
		}
	}
	return s, nil
}

// attributes reads name="value" (or 'value') pairs of a start tag.
func attributes(s string) map[string]string {
	out := map[string]string{}
	for len(out) < 16 {
		s = strings.TrimLeft(s, " \t\r\n/")
		eq := strings.IndexByte(s, '=')
		if eq <= 0 || eq+1 >= len(s) {
			break
		}
		name := strings.TrimSpace(s[:eq])
		s = strings.TrimLeft(s[eq+1:], " \t\r\n")
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			break
		}
		q := s[0]
		end := strings.IndexByte(s[1:], q)
		if end < 0 {
			break
		}
		out[name] = unescape(s[1 : 1+end])
		s = s[end+2:]
	}
	return out
}

var xmlEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&")

func unescape(s string) string {
	s = xmlEntities.Replace(s)
	if len(s) > maxText {
		s = s[:maxText] + "..."
	}
	return s
}
