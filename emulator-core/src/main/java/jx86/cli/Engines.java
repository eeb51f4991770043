package jx86.cli;

import jx86.cpu.Engine;

/** The {@code --engine} option of boot and bench, with the older {@code --no-decode-cache}. */
final class Engines {
    private Engines() {
    }

    /** The engine named by {@code --engine} (null: the default), or interp for {@code --no-decode-cache}. */
    static Engine select(String name, boolean noDecodeCache) {
        if (name == null) {
            return noDecodeCache ? Engine.INTERP : Engine.JIT;
        }
        Engine e = Engine.parse(name);
        if (e == null) {
            throw new UserError("--engine " + name + ": expected interp, cache or jit");
        }
        if (noDecodeCache && e != Engine.INTERP) {
            throw new UserError("--no-decode-cache and --engine " + name + " contradict each other");
        }
        return e;
    }
}
