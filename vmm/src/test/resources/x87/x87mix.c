/* x87mix.c: floating-point code for DisassemblerObjdumpTest. Compiled (never run) with
 * -mfpmath=387 for i386 and i686, with and without -ffast-math, so gcc emits most of the x87 set:
 * loads and stores of every format, reversed and popping arithmetic, compares through FNSTSW/SAHF
 * and FCOMI/FUCOMI, FCMOVcc, rounding-mode changes around FISTP, constants, transcendentals. */

typedef long long i64;

float fadd3(float a, float b, float c) { return a + b * c; }
double dmix(double a, double b) { return (a - b) / (b - a * 3.0); }
long double lmix(long double a, long double b) { return b / a - a / b; }
double rsub(double a, double b) { return 2.5 - a / (1.0 - b); }
double from_int(int i, short s) { return i * 0.5 + s; }
double from_i64(i64 v) { return (double)v * 0.25; }
int to_int(double d) { return (int)d; }
short to_short(float f) { return (short)f; }
i64 to_i64(long double x) { return (i64)x; }
unsigned to_unsigned(double d) { return (unsigned)d; }
int less(double a, double b) { return a < b; }
int unordered(float a, float b) { return __builtin_isunordered(a, b); }
int eq(long double a, long double b) { return a == b; }
double pick(double a, double b) { return a > b ? a : b; }
double clamp(double x, double lo, double hi) { return x < lo ? lo : x > hi ? hi : x; }
long double absneg(long double x) { return -__builtin_fabsl(x); }
double root(double x) { return __builtin_sqrt(x); }
double trig(double x) { return __builtin_sin(x) * __builtin_cos(x) + __builtin_tan(x); }
double logs(double x, double y) { return __builtin_log(x) + __builtin_atan2(y, x) + __builtin_log2(y); }
double powers(double x) { return __builtin_exp(x) + __builtin_exp2(x); }
double rounding(double x) { return __builtin_rint(x) + __builtin_floor(x) + __builtin_ceil(x) + __builtin_trunc(x); }
double rem(double a, double b) { return __builtin_fmod(a, b) + __builtin_remainder(a, b); }
long double consts(int i) { return i ? 3.14159265358979323846264338327950288L : 1.0L + (long double)i; }
long double ld_scale(long double x, int e) { return __builtin_ldexpl(x, e); }
float sum(const float *v, int n) {
    float s = 0;
    for (int i = 0; i < n; i++)
        s += v[i] * v[n - 1 - i];
    return s;
}
double poly(double x, const double *c, int n) {
    double r = 0;
    for (int i = n - 1; i >= 0; i--)
        r = r * x + c[i];
    return r;
}
void store_all(float *f, double *d, long double *l, int *i, short *s, i64 *q, long double x) {
    *f = x;
    *d = x * x;
    *l = x / 3;
    *i = x;
    *s = x;
    *q = x;
}
