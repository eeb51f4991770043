package jx86.demo;

/** The live view's keys: p or space pauses and resumes, n ends the round and steps N, q quits. */
final class LiveControl {
    enum Action { NONE, PAUSE_TOGGLED, NEXT, QUIT }

    private LiveControl() {
    }

    static Action onKey(char key) {
        return switch (Character.toLowerCase(key)) {
            case 'p', ' ' -> Action.PAUSE_TOGGLED;
            case 'n' -> Action.NEXT;
            case 'q' -> Action.QUIT;
            default -> Action.NONE;
        };
    }
}
