class OrdersController < ApplicationController
  def index
    customer = params[:customer]
    @orders = Order.where("customer_id = " + customer)
    render json: @orders
  end
end
