/* sshpub.h: the OpenSSH public key line of a PEM RSA private key, for the
 * VPC API's login keys (getLoginKeyList shows publicKey). Kept apart from
 * crypto.c; once the keys keep their public half when they are made
 * (ncp_rsa_new_pub of the libvirt work), this is only needed for keys made
 * before. */
#ifndef NCP_SSHPUB_H
#define NCP_SSHPUB_H
#include <stddef.h>

/* "ssh-rsa AAAA..." (caller frees *line_out); -1 when pem is not an RSA
 * private key. */
int ncp_ssh_public_of_pem(const char *pem, size_t len, char **line_out);

#endif
