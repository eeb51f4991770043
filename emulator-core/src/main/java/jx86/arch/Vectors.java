package jx86.arch;

import java.util.List;

/** IA-32 exception vectors (Intel SDM Vol. 3A, Table 6-1) and #PF error-code bits (Section 4.7). */
public final class Vectors {
    public static final int DE = 0;
    public static final int DB = 1;
    public static final int NMI = 2;
    public static final int BP = 3;
    public static final int OF = 4;
    public static final int BR = 5;
    public static final int UD = 6;
    public static final int NM = 7;
    public static final int DF = 8;
    public static final int TS = 10;
    public static final int NP = 11;
    public static final int SS = 12;
    public static final int GP = 13;
    public static final int PF = 14;
    public static final int MF = 16;
    public static final int AC = 17;
    public static final int MC = 18;
    public static final int XM = 19;

    /** #PF error code: the fault was a protection violation (page present). */
    public static final int PF_P = 1;
    /** #PF error code: the access was a write. */
    public static final int PF_W = 2;
    /** #PF error code: the access was made at CPL 3. */
    public static final int PF_U = 4;
    /** #PF error code: a reserved bit was set in a paging structure. */
    public static final int PF_RSVD = 8;
    /** #PF error code: instruction fetch (only with NX, which IA-32 without PAE does not have). */
    public static final int PF_I = 16;

    private static final List<String> NAMES = List.of(
        "#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO", "#TS", "#NP", "#SS", "#GP",
        "#PF", "15", "#MF", "#AC", "#MC", "#XM"
    );

    private Vectors() {
    }

    public static String name(int vector) {
        return vector >= 0 && vector < NAMES.size() ? NAMES.get(vector) : "vector " + vector;
    }
}
