package io.jcompose.model.validate;

import java.math.BigDecimal;

/** Number formatting as Go prints it (shortest form, no trailing {@code .0}). */
public final class GoFormat {
  private GoFormat() {}

  /** Go's {@code %v} of a float64: {@code 1}, {@code 0.5}, {@code 1e+21}. */
  public static String floatString(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "+Inf" : "-Inf";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e21) {
      return new BigDecimal(d).toPlainString();
    }
    String s = Double.toString(d);
    if (s.contains("E")) {
      BigDecimal bd = new BigDecimal(s);
      int exp = bd.precision() - bd.scale() - 1;
      if (exp < -4 || exp >= 21) {
        String mant = bd.movePointLeft(exp).stripTrailingZeros().toPlainString();
        return mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
      }
      return bd.stripTrailingZeros().toPlainString();
    }
    return s;
  }

  /** A float32 value printed as Go prints a float32 (shortest repr of the float). */
  public static String float32String(double d) {
    float f = (float) d;
    if (f == Math.rint(f) && Math.abs(f) < 1e21) {
      return new BigDecimal(f).toPlainString();
    }
    return new BigDecimal(Float.toString(f)).stripTrailingZeros().toPlainString();
  }
}
