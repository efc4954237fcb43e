// EIP-7702 delegation designators: the code an authorization gives an account (0xef0100 || address). Such an
// account still sends transactions (EIP-3607 exempts it); calls to it run the delegate's code (the kernels).
export function isDelegation(code: Uint8Array): boolean {
  return code.length === 23 && code[0] === 0xef && code[1] === 0x01 && code[2] === 0x00;
}
