/* stats.c: the exit counters of the VM, as a table on the hypervisor console. */
#include "vmm.h"

static const char *const names[EX_COUNT] = {
  [EX_CLI] = "cli", [EX_STI] = "sti", [EX_HLT] = "hlt", [EX_PUSHF] = "pushf", [EX_POPF] = "popf",
  [EX_MOVCR_R] = "mov from cr", [EX_MOVCR_W] = "mov to cr", [EX_MOVDR] = "mov dr",
  [EX_LGDT] = "lgdt", [EX_LIDT] = "lidt", [EX_LLDT] = "lldt", [EX_LTR] = "ltr",
  [EX_INVLPG] = "invlpg", [EX_IN] = "in", [EX_OUT] = "out", [EX_INS] = "ins", [EX_OUTS] = "outs",
  [EX_MSR] = "rdmsr/wrmsr", [EX_IRET] = "iret", [EX_MOVSS] = "mov ss", [EX_CLTS] = "clts",
  [EX_CPUID] = "cpuid", [EX_OTHER_INSN] = "other insn",
  [EX_SEGREAD] = "segment read (strict)", [EX_DESCREAD] = "sgdt/str/lar.. (strict)",
  [EX_PATCHED] = "patched insn trapped",
  [EX_HIDDEN_PF] = "hidden page fault", [EX_TRUE_PF] = "true page fault",
  [EX_AD_PF] = "a/d-bit fault", [EX_OUTSIDE_PF] = "refused access",
  [EX_SHADOW_FLUSH] = "shadow flush", [EX_SHADOW_PT] = "shadow pt built",
  [EX_INVLPG_DROP] = "shadow entry dropped", [EX_SHADOW_HIT] = "shadow cache hit",
  [EX_SHADOW_NEW] = "shadow built for cr3", [EX_PT_WRITE] = "page-table write trap",
  [EX_SHADOW_ZAP] = "shadow dropped (pd write)", [EX_WP_DOWNGRADE] = "write-protected mapping",
  [EX_REFLECT_EXC] = "reflected exception", [EX_SYSCALL] = "int 0x80 reflected",
  [EX_IRQ] = "real interrupt", [EX_INJECT_IRQ] = "injected interrupt",
  [EX_RET_USER] = "return to user",
  [EX_V86_INT] = "v86 int n", [EX_V86_BIOS] = "v86 bios call", [EX_V86_IRET] = "v86 iret",
  [EX_V86_CLISTI] = "v86 cli/sti", [EX_V86_PUSHFPOPF] = "v86 pushf/popf", [EX_V86_IO] = "v86 in/out",
  [EX_V86_SYS] = "v86 lgdt/lidt/mov cr", [EX_V86_HLT] = "v86 hlt",
  [EX_V86_TO_REAL] = "switch to real mode", [EX_V86_TO_PROT] = "switch to protected mode",
  [EX_V86_EXC] = "v86 exception reflected",
};

/* VM v's table, from any VM's thread (its counters are in its window). */
void stats_print_vm(int v) {
  const struct vcpu *vc = WINVA(v, &vcpu);
  vmm_printf("vmm: exit statistics, VM %d\n", v);
  extern uint64_t switch_cycles, switch_count;
  uint64_t sc = switch_cycles, sn = switch_count;
  while (sc >> 32) {                   /* a 32-bit division: no libgcc in the hypervisor */
    sc >>= 1;
    sn >>= 1;
  }
  if (nvms > 1)
    vmm_printf("vmm:   %-26s %10u\nvmm:   %-26s %10u\nvmm:   %-26s %10u\n", "world switches in",
               (uint32_t)vms[v].switches_in, "timer ticks", (uint32_t)vms[v].ticks,
               "world switch cycles (avg)", sn ? (uint32_t)sc / (uint32_t)sn : 0);
  for (int i = 0; i < EX_COUNT; i++)
    vmm_printf("vmm:   %-26s %10u\n", names[i], (uint32_t)vc->exits[i]);
  vmm_printf("vmm: ports used:");
  for (int p = 0; p < 65536; p++)
    if (vc->ports[p])
      vmm_printf(" %x", p);
  vmm_printf("\nvmm: accesses per port:");
  for (int p = 0; p < 65536; p++)
    if (vc->ports[p])
      vmm_printf(" %x=%u", p, vc->ports[p]);
  vmm_printf("\n");
}

void stats_print(void) {
  stats_print_vm(vcpu.id);
}
