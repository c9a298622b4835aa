package convert

import (
	"fmt"
	"time"
)

// parseDateText reads the text of a typed "$date" as RFC 3339 (§5.6) defines
// a date-time, and nothing else: YYYY-MM-DD, "T" or "t", hh:mm:ss, an
// optional fraction after ".", then "Z", "z" or ±hh:mm. It returns the
// milliseconds since 1970 (UTC) that AMF dates hold, computed as
// time.Parse's result was (fraction digits past the ninth dropped), or
// why the text is no such date.
//
// Go's time.Parse, used before, refused the lower-case "t" and "z" RFC
// 3339 allows and took what it does not: a fraction after ",", offsets
// of +24:00 or with 60 minutes and more.
//
// A leap second (23:59:60, RFC 3339 §5.7) is taken where one can be, at
// 23:59:60 UTC (in any offset: 08:59:60+09:00): AMF dates count
// milliseconds of POSIX time, which has no leap seconds, so it is read as
// the second before it, 23:59:59 with its fraction, as java.time's
// Instant.parse reads it (Java is BlazeDS's and most gateways' side). A
// second 60 at another time is refused.
func parseDateText(s string) (ms float64, why string) {
	const form = "want YYYY-MM-DDThh:mm:ss, an optional .fraction, then Z or ±hh:mm"
	i := 0
	num := func(n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range []byte(s[i : i+n]) {
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		i += n
		return v, true
	}
	lit := func(cs ...byte) (byte, bool) {
		if i < len(s) {
			for _, c := range cs {
				if s[i] == c {
					i++
					return c, true
				}
			}
		}
		return 0, false
	}
	year, ok := num(4)
	_, ok2 := lit('-')
	month, ok3 := num(2)
	_, ok4 := lit('-')
	day, ok5 := num(2)
	if !ok || !ok2 || !ok3 || !ok4 || !ok5 {
		return 0, form
	}
	if _, ok := lit('T', 't'); !ok {
		if i < len(s) && s[i] == ' ' {
			return 0, "the date and the time are joined by T, not by a space"
		}
		return 0, form
	}
	hour, ok := num(2)
	_, ok2 = lit(':')
	minute, ok3 := num(2)
	_, ok4 = lit(':')
	sec, ok5 := num(2)
	if !ok || !ok2 || !ok3 || !ok4 || !ok5 {
		return 0, form
	}
	ns := 0
	if _, ok := lit('.'); ok {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			if i-start < 9 {
				ns = ns*10 + int(s[i]-'0')
			}
			i++
		}
		if i == start {
			return 0, "a fraction of a second has at least one digit after the ."
		}
		for n := i - start; n < 9; n++ {
			ns *= 10
		}
	} else if i < len(s) && s[i] == ',' {
		return 0, "a fraction of a second follows a ., not a ,"
	}
	offset := 0 // seconds east of UTC
	switch c, ok := lit('Z', 'z', '+', '-'); {
	case !ok:
		return 0, "the time zone is missing or malformed: want Z or ±hh:mm"
	case c == '+' || c == '-':
		oh, ok := num(2)
		_, ok2 := lit(':')
		om, ok3 := num(2)
		if !ok || !ok2 || !ok3 {
			return 0, "the time zone is missing or malformed: want Z or ±hh:mm"
		}
		if oh > 23 || om > 59 {
			return 0, fmt.Sprintf("the time zone %s is out of range: hours 00-23, minutes 00-59", s[i-6:i])
		}
		offset = oh*3600 + om*60
		if c == '-' {
			offset = -offset
		}
	}
	if i != len(s) {
		return 0, form
	}
	switch {
	case month < 1 || month > 12:
		return 0, fmt.Sprintf("month %02d is out of range", month)
	case day < 1 || day > daysIn(year, month):
		return 0, fmt.Sprintf("day %02d is out of range for %04d-%02d", day, year, month)
	case hour > 23:
		return 0, fmt.Sprintf("hour %02d is out of range: 00-23", hour)
	case minute > 59:
		return 0, fmt.Sprintf("minute %02d is out of range: 00-59", minute)
	case sec > 60:
		return 0, fmt.Sprintf("second %02d is out of range: 00-60", sec)
	}
	leap := sec == 60
	if leap {
		sec = 59
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, ns, time.UTC).Add(-time.Duration(offset) * time.Second)
	if leap && (t.Hour() != 23 || t.Minute() != 59) {
		return 0, "a leap second, :60, comes only at 23:59:60 UTC"
	}
	return float64(t.Unix())*1000 + float64(t.Nanosecond())/1e6, ""
}

// daysIn is the number of days of month in year (proleptic Gregorian).
func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
