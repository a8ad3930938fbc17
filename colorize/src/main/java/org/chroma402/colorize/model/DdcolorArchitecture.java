package org.chroma402.colorize.model;

import java.util.Locale;

/**
 * The two networks the DDColor authors publish weights for. Each comes with a weightless ONNX
 * graph of the official architecture (see {@link DdcolorGraph}) that a checkpoint fills.
 */
public enum DdcolorArchitecture {
    /** DDColor-T: ConvNeXt-T encoder (ddcolor_paper_tiny). */
    TINY("tiny", "DDColor-T (ConvNeXt-T encoder)"),
    /** DDColor-L: ConvNeXt-L encoder (ddcolor_modelscope, ddcolor_paper, ddcolor_artistic). */
    LARGE("large", "DDColor-L (ConvNeXt-L encoder)");

    private final String id;
    private final String title;

    DdcolorArchitecture(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** "tiny" or "large", as settings and manifests name it. */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public static DdcolorArchitecture parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (DdcolorArchitecture a : values()) {
            if (a.id.equals(t) || ("ddcolor-" + a.id).equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("architecture must be tiny or large, got '" + text + "'");
    }
}
