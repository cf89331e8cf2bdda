package date

import "testing"

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
