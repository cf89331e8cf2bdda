package date

import (
	"testing"
	"time"
)

func TestParseString(t *testing.T) {
	for _, s := range []string{"1970-01-01", "2025-08-07", "2026-02-24", "2000-02-29"} {
		d, err := Parse(s)
		if err != nil || d.String() != s {
			t.Errorf("Parse(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"", "2025-13-01", "2025/08/07", "07.08.2025", "2025-02-29"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
}

func TestFiscalYear(t *testing.T) {
	tests := []struct {
		d    string
		want int
	}{{"2025-09-30", 2025}, {"2025-10-01", 2026}, {"2026-10-01", 2027}}
	for _, tt := range tests {
		if got := MustParse(tt.d).FiscalYear(); got != tt.want {
			t.Errorf("FiscalYear(%s) = %d, want %d", tt.d, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("2025-08-07")
	f.Add("0000-00-00")
	f.Fuzz(func(t *testing.T, s string) {
		if fd, ok := parseFast(s); ok {
			tt, err := time.Parse(time.DateOnly, s)
			if err != nil || Of(tt) != fd {
				t.Fatalf("parseFast(%q) = %v but time.Parse gives %v, %v", s, fd, tt, err)
			}
		}
		d, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(d.String())
		if err != nil || again != d {
			t.Fatalf("round trip %q -> %v -> %v, %v", s, d, again, err)
		}
	})
}

func TestParseFastAgreesWithTime(t *testing.T) {
	for d := MustParse("1899-12-25"); d < MustParse("2101-01-10"); d += 13 {
		s := d.Time().Format(time.DateOnly)
		if got, ok := parseFast(s); !ok || got != d {
			t.Fatalf("parseFast(%q) = %v, %v; want %v", s, got, ok, d)
		}
	}
	for _, s := range []string{"2025-02-29", "2024-13-01", "2024-00-10", "2024-01-00", "2024-1-01", "+025-01-01"} {
		if _, ok := parseFast(s); ok {
			t.Errorf("parseFast(%q) accepted", s)
		}
	}
}
