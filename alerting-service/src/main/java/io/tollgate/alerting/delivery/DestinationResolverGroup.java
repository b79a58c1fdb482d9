package io.tollgate.alerting.delivery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import reactor.core.scheduler.Schedulers;

/**
 * The connect-time half of {@link DestinationGuard}: Reactor Netty asks this resolver
 * group for the addresses of every connection it opens, and connects only to the
 * addresses it answers.
 *
 * <p>
 * For each connection: resolve the host through the guard's
 * {@link DestinationGuard.Resolver}, judge every address, and either answer all of them
 * (each permitted) or fail the resolution with {@link DestinationRefusedException}, in
 * which case Reactor Netty closes the unconnected channel and fails the request. An IP
 * literal goes through the same judgement: Reactor Netty hands it over already resolved
 * and would skip any resolver that says so, which is why this one never does.
 */
final class DestinationResolverGroup extends AddressResolverGroup<InetSocketAddress> {

	private final DestinationGuard guard;

	DestinationResolverGroup(DestinationGuard guard) {
		this.guard = guard;
	}

	@Override
	protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
		return new GuardedResolver(executor, this.guard);
	}

	private static final class GuardedResolver extends AbstractAddressResolver<InetSocketAddress> {

		private final DestinationGuard guard;

		GuardedResolver(EventExecutor executor, DestinationGuard guard) {
			super(executor, InetSocketAddress.class);
			this.guard = guard;
		}

		@Override
		protected boolean doIsResolved(InetSocketAddress address) {
			// Never "already resolved": Reactor Netty would then connect to an IP literal
			// without asking, and the literal would escape the check.
			return false;
		}

		@Override
		protected void doResolve(InetSocketAddress unresolved, Promise<InetSocketAddress> promise) {
			resolve(unresolved, (addresses) -> promise.trySuccess(addresses.get(0)), promise::tryFailure);
		}

		@Override
		protected void doResolveAll(InetSocketAddress unresolved, Promise<List<InetSocketAddress>> promise) {
			resolve(unresolved, promise::trySuccess, promise::tryFailure);
		}

		private void resolve(InetSocketAddress unresolved, Consumer<List<InetSocketAddress>> onSuccess,
				Consumer<Throwable> onFailure) {
			// The Resolver may block (the system resolver does), and an event loop must
			// not; Netty promises may be completed from any thread and notify their
			// listeners on the event loop.
			Schedulers.boundedElastic().schedule(() -> {
				try {
					InetAddress resolved = unresolved.isUnresolved() ? null : unresolved.getAddress();
					List<InetAddress> permitted = this.guard.permittedAddresses(unresolved.getHostString(), resolved);
					onSuccess.accept(permitted.stream()
						.map((address) -> new InetSocketAddress(address, unresolved.getPort()))
						.toList());
				}
				catch (Throwable ex) {
					// Whatever went wrong, the promise must complete: nothing else would
					// time out a resolution that never answers.
					onFailure.accept(ex);
				}
			});
		}

	}

}
