package io.liverec.api.v1alpha1;

/** API group and version of LiveRec's custom resources. */
public final class Groups {
  public static final String LIVEREC = "liverec.io";
  public static final String V1ALPHA1 = "v1alpha1";

  private Groups() {}
}
