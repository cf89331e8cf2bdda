package money

import "testing"

func TestCents(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0", "0.00"},
		{"1.005", "1.01"},
		{"1.004999", "1.00"},
		{"34.64", "34.64"},
		{"1437", "1437.00"},
		{"-2.345", "-2.35"},
		{"0.125", "0.13"},
	}
	for _, tt := range tests {
		if got := Cents(MustParse(tt.in)).String(); got != tt.want {
			t.Errorf("Cents(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPercent(t *testing.T) {
	got, err := Percent(MustParse("10000"), MustParse("0.3464"))
	if err != nil || got.String() != "34.64" && Cents(got).String() != "34.64" {
		t.Fatalf("Percent = %v, %v", got, err)
	}
}
